-- Per-host traffic over a 1-minute window sliding every 30 seconds.
SELECT host, COUNT(*) AS requests, SUM(bytes) AS bytes, ROUND(AVG(latency_ms), 3) AS avg_latency,
       SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) AS errors, window_end
FROM requests WINDOW SLIDING(1 min, 30 sec)
GROUP BY host;

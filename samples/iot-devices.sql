-- Per device and measurement: one-minute statistics.
SELECT device, type, COUNT(*) AS n, ROUND(AVG(value), 3) AS avg, MIN(value) AS min, MAX(value) AS max, window_start
FROM telemetry WINDOW TUMBLING(1 min)
GROUP BY device, type;

-- Per-sensor average and peak over the last minute, every 10 seconds.
SELECT sensor, ROUND(AVG(temperature), 3) AS avg_temp, MAX(temperature) AS max_temp, window_end
FROM readings WINDOW SLIDING(1 min, 10 sec)
GROUP BY sensor;

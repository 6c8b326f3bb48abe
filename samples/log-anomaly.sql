-- A service with more than 5 errors in a minute is anomalous.
SELECT service, COUNT(*) AS errors, window_start
FROM logs WINDOW TUMBLING(1 min)
WHERE level = 'ERROR'
GROUP BY service
HAVING COUNT(*) > 5
INSERT INTO anomalies;

-- A warning followed by an error of the same service within 5 seconds.
SELECT w.service AS service, w._timestamp AS warned_at, e._timestamp AS failed_at
FROM logs MATCH (w=WARN -> e=ERROR) WITHIN 5 sec
FILTER e.service = w.service
INSERT INTO escalations;

-- User sessions: clicks separated by less than 30 seconds.
SELECT user, COUNT(*) AS clicks, window_start, window_end
FROM clicks WINDOW SESSION(30 sec)
GROUP BY user;

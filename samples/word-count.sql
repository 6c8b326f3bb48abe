-- Word count over 10-second tumbling windows.
SELECT word, COUNT(*) AS count, window_start
FROM words WINDOW TUMBLING(10 sec)
GROUP BY word;

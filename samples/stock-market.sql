-- One-minute candles per symbol.
SELECT symbol, FIRST(price) AS open, MAX(price) AS high, MIN(price) AS low, LAST(price) AS close, SUM(volume) AS volume, window_start
FROM ticks WINDOW TUMBLING(1 min)
GROUP BY symbol
INSERT INTO candles;

-- Momentum: three ticks of one symbol, each at least 0.5 % above the last, within 30 seconds.
SELECT e1.symbol AS symbol, e1.price AS p1, e2.price AS p2, e3.price AS p3
FROM ticks MATCH (e1=ticks -> e2=ticks -> e3=ticks) WITHIN 30 sec
FILTER e2.symbol = e1.symbol AND e3.symbol = e2.symbol AND e2.price > e1.price * 1.005 AND e3.price > e2.price * 1.005
INSERT INTO momentum;

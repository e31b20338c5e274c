-- A return or void reads the lots its purchase earned (point_lots by purchase_id, locked), and
-- without an index of their own it scanned every lot of the programme under the lock: a return
-- took longer with every sale ever made, and held its worker and the rows it passed meanwhile
-- (bench/scale_bench found returns of seconds at 100,000 members).
ALTER TABLE point_lots
    ADD KEY ix_point_lots_purchase (purchase_id);

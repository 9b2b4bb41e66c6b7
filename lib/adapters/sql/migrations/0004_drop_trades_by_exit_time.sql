-- 0001 as first released created this index. It cost about 0.5 s per million rows at ingest and no
-- query needs it (docs/decisions.md, "No (backtest_id, exit_time) index by default"). Dropped here
-- rather than deleted from 0001, so databases migrated before and after end with the same schema.
drop index if exists trades_by_exit_time;

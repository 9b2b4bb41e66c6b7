-- Pre-aggregates of each backtest's trades by UTC calendar day and by UTC hour of the trade's entry
-- (its exit when the entry is unknown), written in the same transaction as the trades. A question over a
-- whole backtest in UTC reads a few hundred of these rows instead of every trade (docs/decisions.md).
create table trade_rollups (
  backtest_id      text not null,
  grain            text not null check (grain in ('day', 'hour')),
  key              text not null,
  n                integer not null,
  wins             integer not null,
  losses           integer not null,
  net              numeric not null,
  gross_profit     numeric not null,
  gross_loss       numeric not null,
  largest_win      numeric,
  largest_loss     numeric,
  commission       numeric,
  commission_known integer not null,
  swap             numeric,
  swap_known       integer not null,
  sum_sq_net       double precision not null,
  primary key (backtest_id, grain, key)
);

-- Texts about a backtest (one per trade, day, week and detected pattern) that retrieval cites as
-- evidence. One row per chunk and embedding model, so a second model never overwrites the first.
-- The vectors are not here: the pgvector adapter keeps them in chunk_vectors_<dimension> tables it
-- creates when it opens, so this migration also runs on a Postgres without the vector extension.
-- No foreign key to backtests (like trades): the vector store deletes a backtest's chunks itself.
create table chunks (
  backtest_id text not null,
  model       text not null,
  id          text not null,
  kind        text not null check (kind in ('trade', 'daily', 'weekly', 'pattern')),
  text        text not null,
  from_time   timestamptz,
  to_time     timestamptz,
  symbol      text,
  trade_ids   text[] not null default '{}',
  metadata    jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  primary key (backtest_id, model, id)
);

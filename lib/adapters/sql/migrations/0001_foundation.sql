-- The system of record. Applied identically to PGlite (embedded) and Postgres (DATABASE_URL).
-- Times are timestamptz (stored UTC); money is numeric so sums are exact; prices are double precision
-- because they are quotes, not money.

create table uploads (
  sha256        text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  name          text not null,
  size_bytes    bigint not null check (size_bytes >= 0),
  format        text,
  status        text not null check (status in ('stored', 'parsing', 'parsed', 'loaded', 'failed', 'skipped')),
  error         jsonb,
  first_seen_at timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

create table backtests (
  id               text primary key,
  name             text not null,
  source_kind      text not null,
  account_currency text,
  starting_balance numeric,
  period_start     timestamptz,
  period_end       timestamptz,
  symbols          text[] not null default '{}',
  timeframe        text,
  parameters       jsonb not null default '{}',
  cost_model       jsonb,
  summary          jsonb not null,
  issues           jsonb not null default '{}',
  context          jsonb not null default '{}',
  trade_count      integer not null check (trade_count >= 0),
  created_at       timestamptz not null default now()
);

-- Which stored uploads a backtest was built from, and what each contributed.
create table backtest_sources (
  backtest_id text not null references backtests (id) on delete cascade,
  sha256      text not null references uploads (sha256),
  role        text not null check (role in ('trades', 'stops', 'parameters', 'report', 'log')),
  name        text not null,
  primary key (backtest_id, sha256)
);

-- No foreign key to backtests: its per-row trigger cost 2.2 s per million rows on COPY (measured,
-- docs/decisions.md). The store writes a backtest and its trades in one transaction and deletes
-- them together, which is the only way either is written.
create table trades (
  backtest_id   text not null,
  seq           integer not null,
  source_id     text not null,
  symbol        text not null,
  direction     text not null check (direction in ('buy', 'sell')),
  quantity      numeric,
  volume        numeric,
  entry_time    timestamptz,
  exit_time     timestamptz not null,
  entry_price   double precision,
  exit_price    double precision,
  gross         numeric,
  commission    numeric,
  swap          numeric,
  net           numeric not null,
  pips          double precision,
  balance_after numeric,
  label         text,
  close_reason  text not null,
  stops         jsonb,
  metadata      jsonb,
  source_file   text,
  source_line   integer,
  primary key (backtest_id, seq)
);
create index trades_by_exit_time on trades (backtest_id, exit_time);

create table bar_datasets (
  id          text primary key,
  sha256      text not null references uploads (sha256),
  name        text not null,
  symbol      text,
  timeframe   text,
  layout      text not null,
  bar_count   integer not null check (bar_count >= 0),
  first_time  timestamptz,
  last_time   timestamptz,
  created_at  timestamptz not null default now()
);

-- No foreign key to bar_datasets, for the same reason as trades.
create table bars (
  dataset_id text not null,
  time       timestamptz not null,
  open       double precision not null,
  high       double precision not null,
  low        double precision not null,
  close      double precision not null,
  volume     double precision,
  primary key (dataset_id, time)
);

-- .cbotset files, optimisation parameter spaces, and the parameters a report declares.
create table parameter_sets (
  id         text primary key,
  sha256     text references uploads (sha256),
  kind       text not null check (kind in ('cbotset', 'optimisation-params')),
  name       text not null,
  symbol     text,
  timeframe  text,
  parameters jsonb not null,
  created_at timestamptz not null default now()
);

create table jobs (
  id             text primary key,
  kind           text not null,
  status         text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
  stage          text,
  progress_done  bigint not null default 0,
  progress_total bigint,
  progress_unit  text,
  request        jsonb,
  result         jsonb,
  error          jsonb,
  call_id        text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  finished_at    timestamptz
);
create index jobs_recent on jobs (created_at desc);

create table dead_letters (
  id         bigserial primary key,
  stage      text not null,
  message_id text not null,
  envelope   jsonb not null,
  attempts   integer not null,
  last_error text not null,
  dead_at    timestamptz not null default now()
);

-- A stage records a message id here once its effect is committed; a redelivery then changes nothing.
create table processed_messages (
  stage        text not null,
  message_id   text not null,
  processed_at timestamptz not null default now(),
  primary key (stage, message_id)
);

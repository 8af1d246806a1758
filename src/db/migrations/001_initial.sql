-- Central tables of the relay service. Secrets are stored only as hashes.
CREATE TABLE accounts (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  disabled    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE smtp_credentials (
  username       text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  password_hash  text NOT NULL,             -- scrypt$N$r$p$salt$hash
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  account_id  text REFERENCES accounts(id) ON DELETE CASCADE,   -- NULL = admin key
  key_hash    text NOT NULL UNIQUE,        -- sha256 of a 256-bit random key
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sender_domains (
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  domain      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, domain)
);

CREATE TABLE allowed_ips (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  cidr        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, cidr)
);

CREATE TABLE ip_credentials (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  cidr        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trust_zones (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  cidr        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE relays (
  id            text PRIMARY KEY,
  smtp_host     text NOT NULL,
  smtp_port     integer NOT NULL,
  status_url    text NOT NULL,
  source_ip     text NOT NULL,
  healthy       boolean NOT NULL DEFAULT true,
  poll_cursor   bigint NOT NULL DEFAULT 0,
  last_poll_at  timestamptz,
  last_poll_error text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- The raw message lives here from the moment ingress accepts it; workflows carry only the id.
CREATE TABLE messages (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  mail_from      text NOT NULL,
  envelope_rcpts text[] NOT NULL,
  raw            bytea NOT NULL,
  size           integer NOT NULL,
  client_ip      text NOT NULL,
  submitted_at   timestamptz NOT NULL,
  header_from    text,
  subject        text,
  message_id     text,
  status         text NOT NULL DEFAULT 'pending',
  relay_id       text,
  source_ip      text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_account_submitted ON messages (account_id, submitted_at DESC, id DESC);
CREATE INDEX messages_message_id ON messages (message_id);

CREATE TABLE recipients (
  message_id     text NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  address        text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('to', 'cc', 'bcc')),
  status         text NOT NULL DEFAULT 'pending',
  smtp_code      integer,
  enhanced_code  text,
  smtp_response  text,
  relay_id       text,
  source_ip      text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, address)
);
CREATE INDEX recipients_address ON recipients (lower(address));

-- Append-only history of each message; (source, source_key) makes replays of the same report a no-op.
CREATE TABLE message_events (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  type        text NOT NULL,
  recipient   text,
  data        jsonb NOT NULL DEFAULT '{}',
  source_key  text UNIQUE,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_events_message ON message_events (message_id, id);

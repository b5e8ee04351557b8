-- A learner working through the terms of one domain.
CREATE SEQUENCE quiz_session_number_seq AS bigint START WITH 1000;

CREATE TABLE quiz_sessions (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    session_number      bigint      NOT NULL DEFAULT nextval('quiz_session_number_seq'),
    user_id             uuid        NOT NULL,
    domain_id           uuid        NOT NULL,
    status              varchar(20) NOT NULL DEFAULT 'active',
    current_term_index  integer     NOT NULL DEFAULT 0,
    total_terms         integer     NOT NULL,
    difficulty_level    varchar(20),
    started_at          timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    paused_at           timestamptz,
    completed_at        timestamptz,
    CONSTRAINT quiz_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT quiz_sessions_number_key UNIQUE (session_number),
    CONSTRAINT quiz_sessions_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT quiz_sessions_domain_fkey FOREIGN KEY (domain_id) REFERENCES tree_nodes (id),
    CONSTRAINT quiz_sessions_status_check CHECK (status IN ('active', 'paused', 'completed', 'abandoned')),
    CONSTRAINT quiz_sessions_difficulty_check CHECK (difficulty_level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT quiz_sessions_total_terms_check CHECK (total_terms > 0),
    CONSTRAINT quiz_sessions_term_index_check CHECK (current_term_index BETWEEN 0 AND total_terms),
    CONSTRAINT quiz_sessions_completed_check CHECK (status <> 'completed' OR completed_at IS NOT NULL)
);

ALTER SEQUENCE quiz_session_number_seq OWNED BY quiz_sessions.session_number;

-- "My sessions", newest first.
CREATE INDEX idx_quiz_sessions_user ON quiz_sessions (user_id, started_at DESC);
CREATE INDEX idx_quiz_sessions_domain ON quiz_sessions (domain_id);
-- At most one open session per learner and domain.
CREATE UNIQUE INDEX uq_quiz_sessions_open ON quiz_sessions (user_id, domain_id) WHERE status IN ('active', 'paused');

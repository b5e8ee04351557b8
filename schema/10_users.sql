-- Learners, tutors and admins. Sign-in is done by Cognito; external_id is its subject.
CREATE TABLE users (
    id              uuid         NOT NULL DEFAULT gen_random_uuid(),
    email           citext       NOT NULL,
    display_name    varchar(100) NOT NULL,
    role            varchar(20)  NOT NULL DEFAULT 'learner',
    external_id     varchar(128),
    is_active       boolean      NOT NULL DEFAULT true,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    last_login_at   timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_external_id_key UNIQUE (external_id),
    CONSTRAINT users_role_check CHECK (role IN ('learner', 'tutor', 'admin')),
    CONSTRAINT users_display_name_check CHECK (length(btrim(display_name)) > 0)
);

CREATE INDEX idx_users_last_login ON users (last_login_at DESC) WHERE is_active;

-- Every answer a learner gives, for spaced repetition and progress reports.
CREATE TABLE progress_records (
    id                bigint       GENERATED ALWAYS AS IDENTITY,
    user_id           uuid         NOT NULL,
    term_id           uuid         NOT NULL,
    session_id        uuid,
    student_answer    text         NOT NULL,
    is_correct        boolean      NOT NULL,
    similarity_score  numeric(5,4),
    attempt_number    integer      NOT NULL DEFAULT 1,
    answered_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT progress_records_pkey PRIMARY KEY (id),
    CONSTRAINT progress_records_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT progress_records_term_fkey FOREIGN KEY (term_id) REFERENCES tree_nodes (id) ON DELETE CASCADE,
    CONSTRAINT progress_records_session_fkey FOREIGN KEY (session_id) REFERENCES quiz_sessions (id) ON DELETE SET NULL,
    CONSTRAINT progress_records_similarity_check CHECK (similarity_score BETWEEN 0 AND 1),
    CONSTRAINT progress_records_attempt_check CHECK (attempt_number >= 1)
);

-- A learner's history of one term, newest first (what to ask next).
CREATE INDEX idx_progress_user_term ON progress_records (user_id, term_id, answered_at DESC);
CREATE INDEX idx_progress_session ON progress_records (session_id) WHERE session_id IS NOT NULL;

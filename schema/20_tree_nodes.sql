-- The domain/topic hierarchy quizzes run over: a domain is a root, topics group terms, terms are asked.
CREATE TABLE tree_nodes (
    id          uuid         NOT NULL DEFAULT gen_random_uuid(),
    parent_id   uuid,
    node_type   varchar(20)  NOT NULL,
    title       varchar(200) NOT NULL,
    body        jsonb        NOT NULL DEFAULT '{}'::jsonb,
    depth       smallint     NOT NULL DEFAULT 0,
    position    integer      NOT NULL DEFAULT 0,
    created_by  uuid,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT tree_nodes_pkey PRIMARY KEY (id),
    CONSTRAINT tree_nodes_parent_fkey FOREIGN KEY (parent_id) REFERENCES tree_nodes (id) ON DELETE RESTRICT,
    CONSTRAINT tree_nodes_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT tree_nodes_type_check CHECK (node_type IN ('domain', 'topic', 'term')),
    CONSTRAINT tree_nodes_root_is_domain CHECK ((parent_id IS NULL) = (node_type = 'domain')),
    CONSTRAINT tree_nodes_depth_check CHECK (depth BETWEEN 0 AND 32),
    CONSTRAINT tree_nodes_body_is_object CHECK (jsonb_typeof(body) = 'object')
);

-- Children of a node in display order (the tree view and quiz term order).
CREATE INDEX idx_tree_nodes_parent ON tree_nodes (parent_id, position);
-- The domain picker lists roots only.
CREATE INDEX idx_tree_nodes_domains ON tree_nodes (title) WHERE node_type = 'domain';
-- Search by part of a title.
CREATE INDEX idx_tree_nodes_title_trgm ON tree_nodes USING gin (title gin_trgm_ops);
-- No two siblings with the same title, whatever the case.
CREATE UNIQUE INDEX uq_tree_nodes_sibling_title ON tree_nodes (parent_id, lower(title));

CREATE TABLE `applications` (
	`key` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`processing_quota` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);

CREATE TABLE `graph_versions` (
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`hash` text NOT NULL,
	`definition` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`name`, `version`)
);
--> statement-breakpoint
CREATE TABLE `published_graphs` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);

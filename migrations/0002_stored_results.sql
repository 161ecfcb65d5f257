CREATE TABLE `result_sources` (
	`cache_key` text NOT NULL,
	`url` text NOT NULL,
	PRIMARY KEY(`cache_key`, `url`)
);
--> statement-breakpoint
CREATE INDEX `result_sources_url` ON `result_sources` (`url`);--> statement-breakpoint
CREATE TABLE `stored_results` (
	`cache_key` text PRIMARY KEY NOT NULL,
	`graph` text NOT NULL,
	`extension` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stored_results_graph` ON `stored_results` (`graph`);
ALTER TABLE `applications` ADD `previous_secret` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `previous_secret_expires` integer;--> statement-breakpoint
ALTER TABLE `applications` ADD `allowed_sources` text;
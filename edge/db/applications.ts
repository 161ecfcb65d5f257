import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Application, applications } from "../../shared/db-schema.ts";

export async function findApplication(db: D1Database, key: string): Promise<Application | null> {
  const rows = await drizzle(db)
    .select()
    .from(applications)
    .where(eq(applications.key, key))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Takes one render from a limited quota; resolves to the quota left, or null when none was left.
 * One conditional UPDATE, so concurrent requests cannot overdraw it.
 */
export async function takeFromQuota(db: D1Database, key: string): Promise<number | null> {
  const rows = await drizzle(db)
    .update(applications)
    .set({ processingQuota: sql`${applications.processingQuota} - 1` })
    .where(and(eq(applications.key, key), gt(applications.processingQuota, 0)))
    .returning({ left: applications.processingQuota });
  return rows[0]?.left ?? null;
}

/** Gives one render back to a limited quota; resolves to the quota now left, or null when unlimited or gone. */
export async function giveBackToQuota(db: D1Database, key: string): Promise<number | null> {
  const rows = await drizzle(db)
    .update(applications)
    .set({ processingQuota: sql`${applications.processingQuota} + 1` })
    .where(and(eq(applications.key, key), isNotNull(applications.processingQuota)))
    .returning({ left: applications.processingQuota });
  return rows[0]?.left ?? null;
}

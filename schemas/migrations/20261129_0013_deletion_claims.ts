import type { Knex } from 'knex';

/**
 * A deletion job's claim: each claim by the executor writes a fresh token, and the executor renews its
 * lease and ends the job only while the token is still its own. A process whose lease ran out (a long
 * analytics delete) so finds the job taken over and leaves it alone, instead of auditing it twice or
 * overwriting the new claimant's attempts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deletion_jobs', (t) => {
    t.uuid('claim_token').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deletion_jobs', (t) => {
    t.dropColumn('claim_token');
  });
}

import { describe, inject } from "vitest";
import { pregenShareAtRest } from "./pregen-share-suite";
import { freshDatabase } from "../../scripts/postgres";

const postgresUrl = inject("postgresUrl");

describe.skipIf(!postgresUrl)("on a real Postgres server (DATABASE_URL)", () => {
  pregenShareAtRest("Postgres", async () => {
    process.env.DATABASE_URL = await freshDatabase(postgresUrl, "pregen_share");
  });
});

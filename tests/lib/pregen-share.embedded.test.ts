import { pregenShareAtRest } from "./pregen-share-suite";

// The default engine: embedded PGlite in the data folder.
pregenShareAtRest("PGlite", async () => {
  delete process.env.DATABASE_URL;
});

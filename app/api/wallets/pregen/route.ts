import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { requireImportedUser } from "@/lib/session/service";
import { createPregenWallets, listOwnPregenWallets } from "@/lib/wallets/service";
import { createPregenWalletsBody } from "./schema";

export const runtime = "nodejs";

/** Pregenerate EVM, Solana and Cosmos wallets for an identifier; the server keeps their share, sealed. */
export const POST = apiRoute(async (request) => {
  const { identifier } = await readJsonBody(request, createPregenWalletsBody);
  const userId = await requireImportedUser();
  return NextResponse.json(await createPregenWallets(userId, identifier), { status: 201 });
});

/** The caller's pregenerated wallets (addresses only). */
export const GET = apiRoute(async () => {
  const userId = await requireImportedUser();
  return NextResponse.json({ pregenWallets: await listOwnPregenWallets(userId) });
});

import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { requireImportedUser } from "@/lib/session/service";
import { getOwnPregenWallets } from "@/lib/wallets/service";

export const runtime = "nodejs";

/** One pregenerated set, for the user who created it (403 for anyone else). */
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = await params;
  const userId = await requireImportedUser();
  return NextResponse.json(await getOwnPregenWallets(userId, id));
});

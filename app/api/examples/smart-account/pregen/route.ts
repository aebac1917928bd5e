import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { requireImportedUser } from "@/lib/session/service";
import { runSmartAccountExample } from "@/lib/signing/examples";
import { pregenExampleBody } from "../../[library]/pregen/schema";
import { smartAccountTypeOf } from "../schema";

export const runtime = "nodejs";

/** The same with one of the caller's pregenerated sets: its EVM wallet owns the smart account. */
export const POST = apiRoute(async (request) => {
  const type = smartAccountTypeOf(request);
  const { walletId } = await readJsonBody(request, pregenExampleBody);
  const ownerUserId = await requireImportedUser();
  return NextResponse.json(await runSmartAccountExample({ mode: "pregen", ownerUserId, walletSetId: walletId }, type));
});

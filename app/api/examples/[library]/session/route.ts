import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { recipeFor, runExample } from "@/lib/signing/examples";

export const runtime = "nodejs";

/** Sign the demo message and transaction with the caller's stored session (it must hold signers). */
export const POST = apiRoute<{ params: Promise<{ library: string }> }>(async (_request, { params }) => {
  const recipe = recipeFor((await params).library);
  return NextResponse.json(await runExample(recipe, { mode: "session" }));
});

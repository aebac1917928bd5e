import { NextResponse } from "next/server";
import { grantCurrentSession, revokeCurrentGrant } from "@/lib/grants/service";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { grantBody } from "./schema";

export const runtime = "nodejs";

/** Let the server act for the signed-in user (import path) while they are away, until `until`: their session is kept alive till then. */
export const PUT = apiRoute(async (request) => {
  const { until } = await readJsonBody(request, grantBody);
  return NextResponse.json({ grant: await grantCurrentSession(until) });
});

/** End the grant: the session is no longer kept alive without the user, and scheduled actions fail `grant_revoked`. */
export const DELETE = apiRoute(async () => {
  await revokeCurrentGrant();
  return NextResponse.json({ grant: null });
});

import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { limitParaRefusals } from "@/lib/http/rate-limit";
import { verifySession } from "@/lib/session/dal";
import { endCurrentSession, startImportedSession } from "@/lib/session/service";
import { importSessionBody } from "./schema";

export const runtime = "nodejs";

/** Path 1: import the browser's exported session, validate it with Para, keep it server-side. */
export const POST = apiRoute(async (request) => {
  const { session } = await readJsonBody(request, importSessionBody);
  return NextResponse.json(await limitParaRefusals(request, () => startImportedSession(session)));
});

/** The server's view of the user: a Bearer JWT verified, or the cookie's session (asked of Para on the import path). */
export const GET = apiRoute(async () => NextResponse.json(await verifySession()));

/** Sign out of the server: delete the stored session (every copy of the cookie ends with it) and clear the cookie. */
export const DELETE = apiRoute(async () => {
  await endCurrentSession();
  return NextResponse.json({ signedOut: true });
});

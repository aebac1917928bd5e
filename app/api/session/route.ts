import { NextResponse } from "next/server";
import { apiRoute, requestOrigin } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { limitParaRefusals } from "@/lib/http/rate-limit";
import { verifySession } from "@/lib/session/dal";
import { endCurrentSession, startImportedSession } from "@/lib/session/service";
import { withOpenedSession } from "@/lib/transport/open-session";
import { importSessionBody } from "./schema";

export const runtime = "nodejs";

/** Path 1: open the encrypted exported session, import it, validate it with Para, keep it server-side. */
export const POST = apiRoute(async (request) => {
  const body = await readJsonBody(request, importSessionBody);
  const imported = await limitParaRefusals(request, () =>
    withOpenedSession(body.session, requestOrigin(request), (session) => startImportedSession(session)),
  );
  return NextResponse.json(imported);
});

/** The server's view of the user: a Bearer JWT verified, or the cookie's session (asked of Para on the import path). */
export const GET = apiRoute(async () => NextResponse.json(await verifySession()));

/** Sign out of the server: delete the stored session (every copy of the cookie ends with it) and clear the cookie. */
export const DELETE = apiRoute(async () => {
  await endCurrentSession();
  return NextResponse.json({ signedOut: true });
});

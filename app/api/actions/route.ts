import { NextResponse } from "next/server";
import { listUserActions, scheduleAction } from "@/lib/actions/service";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { runOnce } from "@/lib/http/idempotency";
import { readJsonBody } from "@/lib/http/json-body";
import { cookieUserId } from "@/lib/session/cookie";
import { verifySession } from "@/lib/session/dal";
import { scheduleActionBody } from "./schema";

export const runtime = "nodejs";

/** Schedule signing with the user's session at `at`, under their grant (409 `grant_required` without one that covers `at`); once per Idempotency-Key. */
export const POST = apiRoute(async (request) => {
  const body = await readJsonBody(request, scheduleActionBody);
  return runOnce(request, await cookieUserId(), () => scheduleAction(body), { fingerprint: body, status: 201 });
});

/** The signed-in Para user's actions, newest first, from any of their sessions. */
export const GET = apiRoute(async () => {
  const { userId } = await verifySession();
  if (!userId)
    throw new AppError("session_not_imported", "A token-path session names no Para user. Import your session (POST /api/session).");
  return NextResponse.json({ actions: await listUserActions(userId) });
});

import { NextResponse } from "next/server";
import { cancelAction } from "@/lib/actions/service";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { verifySession } from "@/lib/session/dal";

export const runtime = "nodejs";

/** Cancel a scheduled action before it starts (409 `action_started` once it has). */
export const DELETE = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { userId } = await verifySession();
  if (!userId)
    throw new AppError("session_not_imported", "A token-path session names no Para user. Import your session (POST /api/session).");
  return NextResponse.json(await cancelAction(userId, (await params).id));
});

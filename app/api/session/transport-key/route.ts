import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { publicTransportKeys } from "@/lib/transport/keys";

export const runtime = "nodejs";

/** The public keys a browser encrypts its exported session to (a JWKS, the current key first). */
export const GET = apiRoute(async () => NextResponse.json(await publicTransportKeys()));

import { Hono } from "hono";
import type { ApiEnv } from "./context.js";

export const walletRoutes = new Hono<ApiEnv>();

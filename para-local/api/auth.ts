import { Hono } from "hono";
import type { ApiEnv } from "./context.js";

export const authRoutes = new Hono<ApiEnv>();

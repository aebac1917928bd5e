import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getParaPublicConfig } from "@/lib/para/public-config";
import { Providers } from "./providers";
import "@getpara/react-sdk/styles.css";
import "./globals.css";

export const metadata: Metadata = {
  title: "Para server sessions",
  description: "Sign in with Para in the browser; validate, keep alive and use the session on a Next.js server.",
};

// The Para configuration is read per request, so one build serves para-local and Para.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  const para = getParaPublicConfig();
  return (
    <html lang="en">
      <body>
        <Providers environment={para.environment} apiKey={para.apiKey}>
          {children}
        </Providers>
      </body>
    </html>
  );
}

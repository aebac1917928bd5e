import type { ReactNode } from "react";
import { getParaPublicConfig } from "@/lib/para/public-config";
import { Providers } from "./providers";
import "@getpara/react-sdk/styles.css";

/**
 * The pages that sign in and act with Para in the browser (`/`, `/examples`). `/account` and
 * `/mode` sit outside this group: they render entirely on the server and load no Para SDK.
 */
export default function ParaLayout({ children }: { children: ReactNode }) {
  const para = getParaPublicConfig();
  return (
    <Providers environment={para.environment} apiKey={para.apiKey}>
      {children}
    </Providers>
  );
}

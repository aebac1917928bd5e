"use client";

import { Environment, ParaProvider } from "@getpara/react-sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import type { ParaEnvironment } from "@/lib/para/environments";

interface ProvidersProps {
  environment: ParaEnvironment;
  apiKey: string;
  children: ReactNode;
}

/** React Query and Para for every page; the Para settings come from the server at run time. */
export function Providers({ environment, apiKey, children }: ProvidersProps) {
  // One client per browser tab, created once (not per render).
  const [queryClient] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <ParaProvider
        paraClientConfig={{ env: Environment[environment], apiKey }}
        config={{ appName: "Para server sessions" }}
        paraModalConfig={{ disableEmailLogin: false, disablePhoneLogin: false, oAuthMethods: [] }}
      >
        {children}
      </ParaProvider>
    </QueryClientProvider>
  );
}

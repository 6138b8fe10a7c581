"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { Me, NodeStatus } from "@/lib/trpc-client.ts";
import { api } from "@/lib/trpc-client.ts";
import { Badge } from "./badge.tsx";
import { Button } from "./button.tsx";

/** The dashboard's sections; a new one is a route folder under app/(dashboard)/ plus a line here. */
export const NAV_ITEMS = [
  { href: "/swarm", label: "Swarm" },
  { href: "/nodes", label: "Nodes" },
  { href: "/services", label: "Services" },
  { href: "/stacks", label: "Stacks" },
  { href: "/networks", label: "Networks" },
  { href: "/events", label: "Events" },
] as const;

export function AppNav({ me, status }: { me: Me; status: NodeStatus }) {
  const pathname = usePathname();
  const router = useRouter();
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: () => api.auth.logout.mutate(),
    onSuccess: () => {
      queryClient.clear();
      router.replace("/login");
    },
  });
  return (
    <header className="border-b border-slate-200 bg-white">
      {/* Below lg the sections move to a row of their own (scrolling sideways if they must). */}
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/swarm" className="flex items-center gap-2 font-semibold text-slate-900">
          <span className="inline-block h-5 w-5 rounded bg-sky-700" aria-hidden />
          Shoal
        </Link>
        <nav className="order-last -mx-1 flex w-full gap-1 overflow-x-auto lg:order-none lg:mx-0 lg:w-auto">
          {NAV_ITEMS.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`shrink-0 rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-sky-50 text-sky-800" : "text-slate-600 hover:bg-slate-100"}`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
          <span className="hidden lg:inline" title="The manager serving this dashboard">
            {status.hostname} {status.isLeader ? <Badge tone="info">leader</Badge> : null}
          </span>
          <span>
            {me.userName} <Badge>{me.role}</Badge>
          </span>
          <Button size="sm" variant="ghost" busy={logout.isPending} onClick={() => logout.mutate()}>
            Log out
          </Button>
        </div>
      </div>
    </header>
  );
}

import type { ReactNode } from "react";

/** The frame of the pages outside the dashboard (first run, login, set-up). */
export function CenteredPanel({
  title,
  subtitle,
  children,
  wide,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 pt-20">
      <div className={`w-full ${wide ? "max-w-3xl" : "max-w-md"}`}>
        <div className="mb-6 flex items-center gap-2 text-slate-900">
          <span className="inline-block h-6 w-6 rounded-md bg-sky-700" aria-hidden />
          <span className="text-lg font-semibold">Shoal</span>
        </div>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {subtitle ? <p className="mt-1 text-sm text-slate-500">{subtitle}</p> : null}
        <div className="mt-6">{children}</div>
      </div>
    </main>
  );
}

import type { ReactNode } from "react";

/** Classes shared by every input, select and textarea. */
export const INPUT_CLASS =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-sky-600 focus:ring-2 focus:ring-sky-600/20 focus:outline-none aria-invalid:border-rose-400";

/**
 * A labelled form control with a hint and an error (announced; the control gets aria-invalid and
 * aria-describedby from the caller through `describedBy`).
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  className = "",
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-rose-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function describedBy(
  id: string,
  error?: string,
): { "aria-invalid"?: true; "aria-describedby": string } {
  return error
    ? { "aria-invalid": true, "aria-describedby": `${id}-error` }
    : { "aria-describedby": `${id}-hint` };
}

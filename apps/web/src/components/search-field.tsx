import { INPUT_CLASS } from "./field.tsx";

/** The free-text filter of a list's filter bar: takes the bar's remaining width. */
export function SearchField({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}) {
  return (
    <label className="flex-1 text-sm font-medium text-slate-700">
      Search
      <input
        className={INPUT_CLASS}
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

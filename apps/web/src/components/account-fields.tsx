import { TextField } from "./text-field.tsx";

/**
 * User name and password of a swarm account. `newAccount` asks the browser for a new password
 * and states the length rule; otherwise it offers the saved one.
 */
export function AccountFields({
  name,
  password,
  onNameChange,
  onPasswordChange,
  newAccount,
  autoFocus,
}: {
  name: string;
  password: string;
  onNameChange: (name: string) => void;
  onPasswordChange: (password: string) => void;
  newAccount: boolean;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        label="User name"
        value={name}
        onChange={(e) => onNameChange(e.target.value)}
        autoComplete="username"
        required
        autoFocus={autoFocus}
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(e) => onPasswordChange(e.target.value)}
        autoComplete={newAccount ? "new-password" : "current-password"}
        hint={newAccount ? "At least 8 characters." : undefined}
        required
      />
    </>
  );
}

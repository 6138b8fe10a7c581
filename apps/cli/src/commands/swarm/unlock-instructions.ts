/** docker's "To unlock a swarm manager after it restarts" block. */
export function unlockInstructions(unlockKey: string): string {
  return `To unlock a swarm manager after it restarts, run the \`shoal swarm unlock\`
command and provide the following key:

    ${unlockKey}

Please remember to store this key in a password manager, since without it you
will not be able to restart the manager.
`;
}

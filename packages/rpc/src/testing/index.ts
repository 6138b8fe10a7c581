/** Fixtures for packages that build on @shoal/rpc: a test swarm's CA, node credentials, a CA handler. */
export {
  createTestSwarm,
  eventually,
  nodeMaterial,
  type RecordingLogger,
  recordingLogger,
  TEST_CLUSTER_ID,
  type TestSwarm,
  testCaHandlers,
} from "./test-pki.ts";

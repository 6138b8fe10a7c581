// The node's HTTP server (see ../../README.md, "HTTP API").

export { suggestedAdvertiseAddr } from "./node-bootstrap.ts";
export {
  API_BASE_PATH,
  type NodeHttpOptions,
  NodeHttpServer,
  SOCKET_IO_PATH,
  type UiHandler,
} from "./node-http-server.ts";

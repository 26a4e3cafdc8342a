// The peer's server: PostGraphile (graphile.config.mjs) on node:http at 127.0.0.1:$PORT; prints
// "listening" once it serves, which chronik-bench waits for.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
// Builds the schema (introspection) before the first request is timed.
await pgl.getSchema();
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));

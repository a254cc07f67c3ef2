import Fastify from "fastify";
import { createHmac } from "crypto";

const server = Fastify();
server.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));

server.post("/hooks/orders", async (request, reply) => {
  const signature = request.headers["x-order-signature"];
  const computed = createHmac("sha1", process.env.ORDER_HOOK_KEY!).update(request.body as string).digest("hex");
  if (signature === computed) {
    const order = JSON.parse(request.body as string);
    await queue.push(order);
    return reply.code(202).send();
  }
  return reply.code(403).send({ error: "forbidden" });
});

server.listen({ port: 4000 });

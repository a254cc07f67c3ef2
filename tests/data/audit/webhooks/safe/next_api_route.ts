import type { NextApiRequest, NextApiResponse } from "next";
import { createHmac, timingSafeEqual } from "node:crypto";
import getRawBody from "raw-body";

export const config = { api: { bodyParser: false } };

function verify(raw: Buffer, header: string | undefined): boolean {
  if (typeof header !== "string") return false;
  const digest = createHmac("sha256", process.env.SHOP_WEBHOOK_SECRET as string).update(raw).digest("base64");
  const got = Buffer.from(header, "base64");
  const want = Buffer.from(digest, "base64");
  return got.length === want.length && timingSafeEqual(got, want);
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.status(405).end();
    return;
  }
  const raw = await getRawBody(req);
  if (!verify(raw, req.headers["x-shop-hmac-sha256"] as string | undefined)) {
    res.status(401).json({ error: "invalid signature" });
    return;
  }
  res.status(200).json({ ok: true });
}

// A downstream consumer in Node.js, with nothing but the .proto files and kafkajs: reads
// the satisfaction and tiering topics from the start and builds NPS per tier, each
// customer's answers counted under its current tier (customers without a tier, or lost,
// left out). Prints one line per tier and exits once it has read every partition to its
// end.
//
//   node nps_per_tier.js --brokers=127.0.0.1:19092 [--prefix=emea.] [--proto=../../proto]
'use strict';

const path = require('path');
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs');
const lz4 = require('lz4js');
const protobuf = require('protobufjs');

// The services' producers compress batches with LZ4 (see EVENTS.md); kafkajs brings no
// LZ4 codec of its own, so one is registered here, in plain JavaScript.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

function option(name, fallback) {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  return found ? found.slice(prefix.length) : fallback;
}

function loadContract(protoDir) {
  const root = new protobuf.Root();
  // Imports are relative to proto/ ("crm/v1/common.proto"); google/protobuf/* are bundled.
  root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(protoDir, target));
  root.loadSync(['crm/v1/satisfaction.proto', 'crm/v1/tiering.proto'], { keepCase: true });
  return root;
}

// The read model: each customer's tier, each response's customer and NPS category.
class NpsPerTier {
  constructor() {
    this.seen = new Set(); // ce_id: delivery is at least once
    this.tierOf = new Map();
    this.responses = new Map();
  }

  apply(type, event, id) {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (type === 'crm.v1.CustomerTierChanged') {
      if (event.tier === 'TIER_UNSPECIFIED') this.tierOf.delete(event.customer_id);
      else this.tierOf.set(event.customer_id, event.tier);
    } else if (type === 'crm.v1.SurveyResponseRecorded') {
      if (event.replaced) this.responses.delete(event.replaced.response_id);
      if (event.category && event.category !== 'NPS_CATEGORY_UNSPECIFIED') {
        this.responses.set(event.response.response_id, {
          customer: event.response.customer_id,
          category: event.category,
        });
      }
    }
  }

  summary() {
    const tiers = {};
    for (const tier of ['TIER_S', 'TIER_A', 'TIER_B', 'TIER_C']) {
      tiers[tier] = { responses: 0, promoters: 0, passives: 0, detractors: 0 };
    }
    for (const { customer, category } of this.responses.values()) {
      const tier = this.tierOf.get(customer);
      if (!tier) continue;
      const sum = tiers[tier];
      sum.responses += 1;
      if (category === 'NPS_CATEGORY_PROMOTER') sum.promoters += 1;
      if (category === 'NPS_CATEGORY_PASSIVE') sum.passives += 1;
      if (category === 'NPS_CATEGORY_DETRACTOR') sum.detractors += 1;
    }
    return tiers;
  }
}

async function main() {
  const brokers = option('brokers', '127.0.0.1:19092').split(',');
  const prefix = option('prefix', '');
  const root = loadContract(path.resolve(option('proto', path.join(__dirname, '../../proto'))));
  const topics = [`${prefix}crm.satisfaction.events.v1`, `${prefix}crm.tiering.events.v1`];

  const kafka = new Kafka({ clientId: 'example-node-nps-per-tier', brokers, logLevel: logLevel.ERROR });
  // Where each partition ends now: the read model is complete once every one is reached.
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map();
  for (const topic of topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) remaining.set(`${topic}/${partition}`, BigInt(high));
    }
  }
  await admin.disconnect();

  const model = new NpsPerTier();
  const consumer = kafka.consumer({ groupId: `example-node-nps-per-tier-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  if (remaining.size === 0) finish();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const type = message.headers.ce_type && message.headers.ce_type.toString();
      const id = message.headers.ce_id && message.headers.ce_id.toString();
      const messageType = type && root.lookup(type);
      if (messageType instanceof protobuf.Type) {
        const event = messageType.toObject(messageType.decode(message.value), { enums: String });
        model.apply(type, event, id);
      }
      const key = `${topic}/${partition}`;
      if (remaining.has(key) && BigInt(message.offset) + 1n >= remaining.get(key)) {
        remaining.delete(key);
        if (remaining.size === 0) finish();
      }
    },
  });
  await finished;
  await consumer.disconnect();

  for (const [tier, sum] of Object.entries(model.summary())) {
    const nps = sum.responses > 0 ? (100 * (sum.promoters - sum.detractors)) / sum.responses : null;
    console.log(`${tier.replace('TIER_', '')} responses=${sum.responses} promoters=${sum.promoters} ` +
                `passives=${sum.passives} detractors=${sum.detractors} ` +
                `nps=${nps === null ? '-' : nps.toFixed(1)}`);
  }
}

main().catch((error) => {
  console.error(`nps_per_tier: ${error.message}`);
  process.exit(1);
});

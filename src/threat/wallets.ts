/**
 * Wallet address formats (threat-intel §5.5). A match is evidence only where a miner expects a wallet:
 * a user/wallet flag, a pool URL's user part, a miner config's user field.
 */

const BASE58 = '[1-9A-HJ-NP-Za-km-z]';
const BECH32 = '[02-9ac-hj-np-z]';

const WALLET_FORMATS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  // https://github.com/monero-project/monero-docs/blob/master/docs/en/public-address/standard-address.md
  { name: 'Monero', pattern: new RegExp(`^[48]${BASE58}{94}$`) },
  // https://github.com/monero-project/monero-docs/blob/master/docs/en/public-address/integrated-address.md
  { name: 'Monero integrated', pattern: new RegExp(`^4${BASE58}{105}$`) },
  // https://github.com/ethereum-mining/ethminer/blob/master/docs/POOL_EXAMPLES_ETH.md
  { name: 'EVM', pattern: /^0x[0-9a-fA-F]{40}$/ },
  // https://github.com/develsoftware/GMinerRelease/blob/master/readme.txt
  { name: 'Bitcoin', pattern: new RegExp(`^(?:[13]${BASE58}{25,34}|bc1${BECH32}{11,71})$`) },
  // https://glama.ai/mcp/servers/DHEBP/dero-mcp-server/tools/dero_decode_proof_string
  { name: 'Dero', pattern: new RegExp(`^de[rt]oi?1${BECH32}{40,}$`) },
];

/** unMineable-style `COIN:WALLET`, then an optional `.worker`, `/worker`, `+difficulty` or `#referral`. */
const POOL_LOGIN = /^(?:([A-Z0-9]{2,10}):)?([^.:/+#\s]+)(?:[.:/+#].*)?$/;

export interface WalletMatch {
  readonly format: string;
  readonly wallet: string;
}

/** Recognises a wallet in a pool login such as `SHIB:0xabc….worker1` or `4AbC…+50000`. */
export function matchWallet(login: string): WalletMatch | undefined {
  const match = POOL_LOGIN.exec(login.trim());
  const address = match?.[2];
  if (!address) return undefined;
  for (const { name, pattern } of WALLET_FORMATS) {
    if (pattern.test(address)) return { format: match[1] ? `${name} (${match[1]} pool login)` : name, wallet: address };
  }
  return undefined;
}

/** Wallets are not secrets, but long ones are shortened so evidence stays readable. */
export function shortWallet(wallet: string): string {
  return wallet.length <= 20 ? wallet : `${wallet.slice(0, 10)}…${wallet.slice(-6)}`;
}

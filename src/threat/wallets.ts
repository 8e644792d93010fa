import { hasCryptonoteChecksum } from './cryptonote-address.js';
import { base58CheckVersion, bech32Variant, bech32WitnessVersion, ergoAddressPrefix, isCashAddr } from './address-checksums.js';

/**
 * Wallet address formats (threat-intel §5.5). A match is evidence only where a miner expects a wallet:
 * a user/wallet flag, a pool URL's user part, a miner config's user field. Where a format carries a
 * checksum it is verified, so a token that only looks like an address does not count.
 */

const BASE58 = '[1-9A-HJ-NP-Za-km-z]';
const BECH32 = '[02-9ac-hj-np-z]';

interface WalletFormat {
  readonly name: string;
  readonly pattern: RegExp;
  /** The format's checksum; absent where the format has none. */
  readonly valid?: (address: string) => boolean;
  /** Plain hex (EVM, Iron Fish) is also a contract, a key or a digest: a wallet, but no proof of a miner with a host:port. */
  readonly plainHex?: true;
}

const WALLET_FORMATS: readonly WalletFormat[] = [
  // https://github.com/monero-project/monero-docs/blob/master/docs/en/public-address/standard-address.md
  { name: 'Monero', pattern: new RegExp(`^[48]${BASE58}{94}$`), valid: hasCryptonoteChecksum },
  // https://github.com/monero-project/monero-docs/blob/master/docs/en/public-address/integrated-address.md
  { name: 'Monero integrated', pattern: new RegExp(`^4${BASE58}{105}$`), valid: hasCryptonoteChecksum },
  // https://github.com/ethereum-mining/ethminer/blob/master/docs/POOL_EXAMPLES_ETH.md
  { name: 'EVM', pattern: /^0x[0-9a-fA-F]{40}$/, plainHex: true },
  // https://en.bitcoin.it/wiki/Base58Check_encoding (version 0 P2PKH, 5 P2SH)
  { name: 'Bitcoin', pattern: new RegExp(`^[13]${BASE58}{25,34}$`), valid: (a) => [0, 5].includes(base58CheckVersion(a) ?? -1) },
  // https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki, bip-0350.mediawiki: v0 bech32, v1+ bech32m
  {
    name: 'Bitcoin',
    pattern: new RegExp(`^(?:bc1${BECH32}{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})$`),
    valid: (a) => {
      const variant = bech32Variant(a);
      return variant !== undefined && (bech32WitnessVersion(a) === 0 ? variant === 'bech32' : variant === 'bech32m');
    },
  },
  // https://glama.ai/mcp/servers/DHEBP/dero-mcp-server/tools/dero_decode_proof_string
  { name: 'Dero', pattern: new RegExp(`^de[rt]oi?1${BECH32}{40,}$`) },
  // https://github.com/kaspanet/kaspad/blob/master/util/doc.go (CashAddr with the "kaspa" prefix)
  { name: 'Kaspa', pattern: new RegExp(`^kaspa:${BECH32}{40,70}$`), valid: (a) => isCashAddr(a, 'kaspa') },
  // https://spec.nexa.org/addresses/cashaddr/ (CashAddr with the "nexa" prefix)
  { name: 'Nexa', pattern: new RegExp(`^nexa:${BECH32}{40,110}$`), valid: (a) => isCashAddr(a, 'nexa') },
  // https://github.com/RavenProject/Ravencoin/blob/master/src/chainparams.cpp (base58 prefixes 60 "R", 122 "r")
  { name: 'Ravencoin', pattern: new RegExp(`^[Rr]${BASE58}{33}$`), valid: (a) => [60, 122].includes(base58CheckVersion(a) ?? -1) },
  // https://docs.ergoplatform.com/assets/py/Ergo_Address_Encoding (mainnet P2PK "9…", BLAKE2b-256 checksum)
  { name: 'Ergo', pattern: new RegExp(`^9${BASE58}{50}$`), valid: (a) => ergoAddressPrefix(a) === 0x01 },
  // https://github.com/ZephyrProtocol/zephyr/blob/main/src/cryptonote_config.h ("ZEPHYR…" standard, "ZEPHs…" sub, "ZEPHi…" integrated)
  { name: 'Zephyr', pattern: new RegExp(`^ZEPH(?:YR|s|i)${BASE58}{88,106}$`), valid: hasCryptonoteChecksum },
  // https://github.com/hyle-team/zano/blob/master/src/currency_core/currency_config.h ("Zx…" standard, "iZ…" integrated).
  // Same CryptoNote encoding, but no published address to test the checksum against yet: shape only.
  { name: 'Zano', pattern: new RegExp(`^(?:Zx|iZ)${BASE58}{95,140}$`) },
  // https://github.com/iron-fish/ironfish/blob/master/ironfish/src/wallet/validator.ts (a 32-byte public address in hex; no checksum)
  { name: 'Iron Fish', pattern: /^[0-9a-f]{64}$/, plainHex: true },
];

/** unMineable-style `COIN:WALLET`, then an optional `.worker`, `/worker`, `+difficulty` or `#referral`. */
const POOL_LOGIN = /^(?:([A-Z0-9]{2,10}):)?([^.:/+#\s]+)(?:[.:/+#].*)?$/;
/** CashAddr wallets carry their own `prefix:`; the worker name may follow after a dot. */
const CASHADDR_LOGIN = /^((?:kaspa|nexa):[^.:/+#\s]+)(?:[./+#].*)?$/i;

export interface WalletMatch {
  readonly format: string;
  readonly wallet: string;
  /** A format no other kind of value takes (checksummed, or a coin's own prefix and length): not plain hex. */
  readonly distinctive: boolean;
}

/** Recognises a wallet in a pool login such as `SHIB:0xabc….worker1`, `4AbC…+50000` or `kaspa:qq….rig`. */
export function matchWallet(login: string): WalletMatch | undefined {
  const trimmed = login.trim();
  if (trimmed.length > 300) return undefined;
  const cashAddr = CASHADDR_LOGIN.exec(trimmed)?.[1];
  if (cashAddr !== undefined) return formatOf(cashAddr, undefined);
  const match = POOL_LOGIN.exec(trimmed);
  const address = match?.[2];
  return address ? formatOf(address, match[1]) : undefined;
}

function formatOf(address: string, coin: string | undefined): WalletMatch | undefined {
  for (const { name, pattern, valid, plainHex } of WALLET_FORMATS) {
    if (pattern.test(address) && (!valid || valid(address))) return { format: coin ? `${name} (${coin} pool login)` : name, wallet: address, distinctive: plainHex !== true };
  }
  return undefined;
}

/** Wallets are not secrets, but long ones are shortened so evidence stays readable. */
export function shortWallet(wallet: string): string {
  return wallet.length <= 20 ? wallet : `${wallet.slice(0, 10)}…${wallet.slice(-6)}`;
}

/** The README's complete programs: fenced blocks whose first line is `// file: <path>`. */
export function readmeFiles(readme: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const [, body] of readme.matchAll(/^```[a-z]*\n([^]*?)^```$/gm)) {
        const marker = /^\/\/ file: (\S+)\n/.exec(body!);
        if (marker) files.set(marker[1]!, body!.slice(marker[0].length));
    }
    return files;
}

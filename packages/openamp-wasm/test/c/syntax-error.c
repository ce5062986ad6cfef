/* Does not compile: v8r-cc passes clang's message through unchanged. */
int main(void)
{
	return missing_semicolon
}

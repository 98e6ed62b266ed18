module attributes {nf.model = "gpt-tiny"} {
  nf.param @embed.tokens : tensor<256x128xf32> init <normal(2.000000e-02)> group <embedding>
  nf.param @layers.0.attn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.0.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.0.ffn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.0.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.1.attn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.1.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.1.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.1.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.1.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.1.ffn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.1.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.1.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.2.attn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.2.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.2.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.2.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.2.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.2.ffn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.2.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.2.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.3.attn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.3.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.3.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.3.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.3.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @layers.3.ffn_norm.scale : tensor<128xf32> init <ones> group <scale>
  nf.param @layers.3.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.3.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix>
  nf.param @final_norm.scale : tensor<128xf32> init <ones> group <scale>
  func.func @forward(%arg0: tensor<16x128xi32> {nf.name = "tokens"}, %arg1: tensor<16x128xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x128xf32>
    %1 = nf.embedding %arg0, %0 : tensor<16x128xi32>, tensor<256x128xf32> -> tensor<16x128x128xf32>
    %2 = nf.rmsnorm %1 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %3 = nf.get_param @layers.0.attn_norm.scale : tensor<128xf32>
    %4 = nf.scale %2, %3 : tensor<16x128x128xf32>, tensor<128xf32>
    %5 = nf.get_param @layers.0.attn.wq : tensor<128x128xf32>
    %6 = nf.linear %4, %5 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %7 = nf.split_heads %6 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %8 = nf.get_param @layers.0.attn.wk : tensor<128x128xf32>
    %9 = nf.linear %4, %8 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %10 = nf.split_heads %9 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %11 = nf.get_param @layers.0.attn.wv : tensor<128x128xf32>
    %12 = nf.linear %4, %11 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %13 = nf.split_heads %12 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %14 = nf.attention %7, %10, %13 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %15 = nf.merge_heads %14 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %16 = nf.get_param @layers.0.attn.wo : tensor<128x128xf32>
    %17 = nf.linear %15, %16 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %18 = nf.add %1, %17 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %19 = nf.rmsnorm %18 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %20 = nf.get_param @layers.0.ffn_norm.scale : tensor<128xf32>
    %21 = nf.scale %19, %20 : tensor<16x128x128xf32>, tensor<128xf32>
    %22 = nf.get_param @layers.0.ffn.w_up : tensor<512x128xf32>
    %23 = nf.linear %21, %22 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %24 = nf.gelu %23 : tensor<16x128x512xf32>
    %25 = nf.get_param @layers.0.ffn.w_down : tensor<128x512xf32>
    %26 = nf.linear %24, %25 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %27 = nf.add %18, %26 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %28 = nf.rmsnorm %27 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %29 = nf.get_param @layers.1.attn_norm.scale : tensor<128xf32>
    %30 = nf.scale %28, %29 : tensor<16x128x128xf32>, tensor<128xf32>
    %31 = nf.get_param @layers.1.attn.wq : tensor<128x128xf32>
    %32 = nf.linear %30, %31 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %33 = nf.split_heads %32 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %34 = nf.get_param @layers.1.attn.wk : tensor<128x128xf32>
    %35 = nf.linear %30, %34 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %36 = nf.split_heads %35 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %37 = nf.get_param @layers.1.attn.wv : tensor<128x128xf32>
    %38 = nf.linear %30, %37 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %39 = nf.split_heads %38 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %40 = nf.attention %33, %36, %39 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %41 = nf.merge_heads %40 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %42 = nf.get_param @layers.1.attn.wo : tensor<128x128xf32>
    %43 = nf.linear %41, %42 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %44 = nf.add %27, %43 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %45 = nf.rmsnorm %44 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %46 = nf.get_param @layers.1.ffn_norm.scale : tensor<128xf32>
    %47 = nf.scale %45, %46 : tensor<16x128x128xf32>, tensor<128xf32>
    %48 = nf.get_param @layers.1.ffn.w_up : tensor<512x128xf32>
    %49 = nf.linear %47, %48 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %50 = nf.gelu %49 : tensor<16x128x512xf32>
    %51 = nf.get_param @layers.1.ffn.w_down : tensor<128x512xf32>
    %52 = nf.linear %50, %51 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %53 = nf.add %44, %52 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %54 = nf.rmsnorm %53 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %55 = nf.get_param @layers.2.attn_norm.scale : tensor<128xf32>
    %56 = nf.scale %54, %55 : tensor<16x128x128xf32>, tensor<128xf32>
    %57 = nf.get_param @layers.2.attn.wq : tensor<128x128xf32>
    %58 = nf.linear %56, %57 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %59 = nf.split_heads %58 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %60 = nf.get_param @layers.2.attn.wk : tensor<128x128xf32>
    %61 = nf.linear %56, %60 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %62 = nf.split_heads %61 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %63 = nf.get_param @layers.2.attn.wv : tensor<128x128xf32>
    %64 = nf.linear %56, %63 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %65 = nf.split_heads %64 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %66 = nf.attention %59, %62, %65 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %67 = nf.merge_heads %66 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %68 = nf.get_param @layers.2.attn.wo : tensor<128x128xf32>
    %69 = nf.linear %67, %68 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %70 = nf.add %53, %69 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %71 = nf.rmsnorm %70 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %72 = nf.get_param @layers.2.ffn_norm.scale : tensor<128xf32>
    %73 = nf.scale %71, %72 : tensor<16x128x128xf32>, tensor<128xf32>
    %74 = nf.get_param @layers.2.ffn.w_up : tensor<512x128xf32>
    %75 = nf.linear %73, %74 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %76 = nf.gelu %75 : tensor<16x128x512xf32>
    %77 = nf.get_param @layers.2.ffn.w_down : tensor<128x512xf32>
    %78 = nf.linear %76, %77 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %79 = nf.add %70, %78 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %80 = nf.rmsnorm %79 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %81 = nf.get_param @layers.3.attn_norm.scale : tensor<128xf32>
    %82 = nf.scale %80, %81 : tensor<16x128x128xf32>, tensor<128xf32>
    %83 = nf.get_param @layers.3.attn.wq : tensor<128x128xf32>
    %84 = nf.linear %82, %83 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %85 = nf.split_heads %84 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %86 = nf.get_param @layers.3.attn.wk : tensor<128x128xf32>
    %87 = nf.linear %82, %86 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %88 = nf.split_heads %87 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %89 = nf.get_param @layers.3.attn.wv : tensor<128x128xf32>
    %90 = nf.linear %82, %89 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %91 = nf.split_heads %90 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %92 = nf.attention %85, %88, %91 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %93 = nf.merge_heads %92 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %94 = nf.get_param @layers.3.attn.wo : tensor<128x128xf32>
    %95 = nf.linear %93, %94 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %96 = nf.add %79, %95 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %97 = nf.rmsnorm %96 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %98 = nf.get_param @layers.3.ffn_norm.scale : tensor<128xf32>
    %99 = nf.scale %97, %98 : tensor<16x128x128xf32>, tensor<128xf32>
    %100 = nf.get_param @layers.3.ffn.w_up : tensor<512x128xf32>
    %101 = nf.linear %99, %100 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %102 = nf.gelu %101 : tensor<16x128x512xf32>
    %103 = nf.get_param @layers.3.ffn.w_down : tensor<128x512xf32>
    %104 = nf.linear %102, %103 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %105 = nf.add %96, %104 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %106 = nf.rmsnorm %105 eps(9.9999999999999995E-7) : tensor<16x128x128xf32>
    %107 = nf.get_param @final_norm.scale : tensor<128xf32>
    %108 = nf.scale %106, %107 : tensor<16x128x128xf32>, tensor<128xf32>
    %109 = nf.linear %108, %0 : tensor<16x128x128xf32>, tensor<256x128xf32> -> tensor<16x128x256xf32>
    %110 = nf.cross_entropy %109, %arg1 : tensor<16x128x256xf32>, tensor<16x128xi32> -> tensor<f32>
    return %110 : tensor<f32>
  }
}

